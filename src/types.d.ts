import type { Logger } from 'pino';
import type { Actor } from './access/actor.ts';
import type { UploadProblem } from './web/uploads.ts';

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      actor?: Actor;
      uploadProblem?: UploadProblem;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    login?: string;
    signedInAt?: number;
    returnTo?: string;
    /** The last convention search, restored when /conventions is opened without criteria. */
    conventionSearch?: Record<string, string | string[]>;
    flash?: { kind: 'success' | 'error' | 'info'; message: string }[];
  }
}

export {};
