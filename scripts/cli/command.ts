export interface Command {
  /** One or more words: "db migrate". */
  name: string;
  summary: string;
  help: string;
  /** Returns the exit code (0 when omitted). */
  run(args: string[]): Promise<number | void>;
}
