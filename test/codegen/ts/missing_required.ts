import posthog from './events'
// "amount" is required by the only group of "checkout-completed"
posthog.capture('checkout-completed', { currency: 'EUR', order_id: 'o-1' })
