import { ERROR_STATUS, type ErrorCode } from '@haitang/contracts';

/** The one error type of the server: a stable code, params for the message, optional details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');
export const versionConflict = () => new AppError('VERSION_CONFLICT');
