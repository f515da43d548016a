// Compiles under tsc --strict against posthog-js: the typed capture of the
// golden catalog as an application would call it.
import posthog, { CheckoutCompleted, CheckoutCompleted_2, EventName, EventSchemas, N3dSecure, None_ } from './events'

// required properties given; optional ones and properties outside the schema allowed
posthog.capture('checkout-completed', { amount: 12.5, currency: 'EUR', order_id: 'o-1' })
posthog.capture('checkout-completed', {
    amount: 12.5,
    currency: 'EUR',
    order_id: 'o-1',
    'order-id': 7,
    'placed at': new Date(),
    'is-gift': true,
    $set: { plan: 'pro' },
    'say "hi" \\ ok': 'hi',
    $current_url: 'https://example.com/cart',
})
// a property whose groups disagree takes any of their types; optional unless every group requires it
posthog.capture('checkout completed', { currency: 'EUR', order_id: 'o-1', source: 'web', amount: '12.5' })
posthog.capture('checkout completed', { currency: 'EUR', order_id: 'o-1', source: 'web', 'placed at': 1700000000 })
// events without a schema: any properties, or none
posthog.capture('signup')
posthog.capture('$pageview', { $current_url: 'https://example.com' })
posthog.capture('None', { anything: [1, 2] })
// an event outside the catalog, named by a literal; captureRaw for anything
posthog.capture('an event of another catalog', { whatever: true })
const dynamic: string = 'chosen at run time'
posthog.captureRaw(dynamic, { y: 1 })
// the per-event types, by identifier
const c: CheckoutCompleted = { currency: 'EUR', order_id: 'o-1', source: 'app', '1st touch': '2024-01-01' }
const c2: CheckoutCompleted_2 = { amount: 1, currency: 'EUR', order_id: 'o-2' }
const d: N3dSecure = { currency: 'EUR', source: 'app' }
const n: None_ = {}
const name: EventName = '3d secure'
const schemas: EventSchemas['type'] = { currency: 'USD', source: 'web' }
posthog.capture('checkout completed', c)
posthog.capture('checkout-completed', c2, { send_instantly: true })
posthog.capture(name, d)
posthog.capture('None', n)
posthog.capture('type', schemas)
