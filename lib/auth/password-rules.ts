// What a password must be, shared by the server, the command line and the admin page
// (no Node imports here: the browser bundle reads the same rules).

export const PASSWORD_MIN_LENGTH = 12;
/** Sign-in reads at most this much; a longer password could never be typed back. */
export const PASSWORD_MAX_LENGTH = 1024;

export interface PasswordProblem {
  code: 'password_too_short' | 'password_too_long' | 'password_blank';
  message: string;
}

/** Why a password is refused, or null when it will do. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.trim().length === 0) return { code: 'password_blank', message: 'The password cannot be empty or only spaces.' };
  if (password.length < PASSWORD_MIN_LENGTH) return { code: 'password_too_short', message: `The password needs at least ${PASSWORD_MIN_LENGTH} characters (it has ${password.length}).` };
  if (password.length > PASSWORD_MAX_LENGTH) return { code: 'password_too_long', message: `The password can have at most ${PASSWORD_MAX_LENGTH} characters.` };
  return null;
}
