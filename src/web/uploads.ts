import multer from 'multer';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export interface UploadProblem {
  field: string | undefined;
  code: 'too_large' | 'too_many' | 'unreadable';
}

/**
 * Multipart bodies are read before the CSRF check so that the token travels in the form like any
 * other, and only for signed-in people: an anonymous upload is refused before a byte of it is read.
 * Memory is bounded (one file, 5 MB at most — each form then applies its own, smaller limit). A file
 * over the limit is not an error page: the form reports it next to the field.
 */
export function multipartBodies(): RequestHandler {
  const parser = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 200, fieldSize: 100 * 1024, parts: 201 },
  }).any();
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    if (!req.actor) {
      next(new HttpError(401, 'common.errors.signInRequired'));
      return;
    }
    parser(req, res, (error?: unknown) => {
      if (error instanceof multer.MulterError) {
        req.uploadProblem = {
          field: error.field,
          code: error.code === 'LIMIT_FILE_SIZE' ? 'too_large' : error.code === 'LIMIT_FILE_COUNT' ? 'too_many' : 'unreadable',
        };
        req.body ??= {};
        next();
        return;
      }
      next(error);
    });
  };
}
