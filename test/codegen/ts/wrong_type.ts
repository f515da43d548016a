import posthog from './events'
// "amount" is Numeric
posthog.capture('checkout-completed', { amount: 'twelve', currency: 'EUR', order_id: 'o-1' })
