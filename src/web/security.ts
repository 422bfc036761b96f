import helmet from 'helmet';
import type { Config } from '../config.ts';

/** Security headers with a strict Content-Security-Policy: no inline script or style anywhere. */
export function securityHeaders(config: Config) {
  const formTargets = ["'self'", ...(config.auth.casBaseUrl ? [new URL(config.auth.casBaseUrl).origin] : [])];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // blob: lets the logo form preview the chosen image before it is sent.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        // Chrome applies form-action to the redirect that follows a post (logout goes on to the CAS).
        formAction: formTargets,
        ...(config.publicBaseUrl?.startsWith('https:') ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.publicBaseUrl?.startsWith('https:') ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    // Browsers too old for frame-ancestors get the same answer: never in a frame, not even our own.
    xFrameOptions: { action: 'deny' },
  });
}
