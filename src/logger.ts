import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Cookies, authorisation headers and passwords never reach them. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'conventio' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.sessionSecret', '*.ticket'],
      censor: '[masqué]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
