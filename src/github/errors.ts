/** HTTP statuses of GitHub's answers, read from Octokit's own error type (never by duck-typing any object). */
import { RequestError } from '@octokit/request-error';

/** The status GitHub answered with, or undefined when the error is not an HTTP answer (network, bug). */
export function httpStatus(err: unknown): number | undefined {
  return err instanceof RequestError ? err.status : undefined;
}

/** Whether GitHub answered with one of `statuses`; a caller turns exactly those into a result and rethrows the rest. */
export function answered(err: unknown, ...statuses: number[]): boolean {
  const status = httpStatus(err);
  return status !== undefined && statuses.includes(status);
}

/** One line for a reply or a check summary: GitHub's status and message, or the error's message. */
export function describeError(err: unknown): string {
  const status = httpStatus(err);
  const message = err instanceof Error ? err.message : String(err);
  return status ? `GitHub answered ${status}: ${message || 'no message'}` : message;
}
