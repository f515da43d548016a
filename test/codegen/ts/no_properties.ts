import posthog from './events'
// "3d secure" has required properties
posthog.capture('3d secure')
