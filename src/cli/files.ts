import fs from "node:fs";
import path from "node:path";
import { UserError } from "./errors";

/**
 * Files named on the command line. A missing file, a folder where a file was meant, an unreadable file and
 * malformed JSON are each a UserError that names the task, the flag (or what the file is) and the path.
 */
export interface FileArg {
  readonly task: string;
  /** How the message calls the file, e.g. "--file" or "scenario file". */
  readonly what: string;
  /** The task sends transactions: say that nothing was. */
  readonly sends?: boolean;
}

function refuse(arg: FileArg, file: string, problem: string): UserError {
  return new UserError(`${arg.task}: ${arg.what} ${file} ${problem}${arg.sends ? ". Nothing was sent." : ""}`);
}

export function readTextArg(arg: FileArg, file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw refuse(arg, file, "does not exist");
  }
  if (stat.isDirectory()) throw refuse(arg, file, "is a folder, not a file");
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw refuse(arg, file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function readJsonArg(arg: FileArg, file: string): unknown {
  const text = readTextArg(arg, file);
  try {
    return JSON.parse(text);
  } catch (error) {
    // the parser quotes the text it choked on, line breaks included: keep the message on one line
    throw refuse(arg, file, `is not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, " ")})`);
  }
}

/** The nearest existing folder or file at or above `target`. */
function nearestExisting(target: string): string {
  let at = path.resolve(target);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** Why `dir` cannot be an output folder (missing folders are created, a file in the way is not), or null. */
export function outputFolderProblem(flag: string, dir: string): string | null {
  const existing = nearestExisting(dir);
  if (fs.statSync(existing).isDirectory()) return null;
  return existing === path.resolve(dir)
    ? `${flag} ${dir} is a file, not a folder`
    : `${flag} ${dir}: ${existing} is a file, not a folder`;
}

/** Why `file` cannot be written as an output file (its folder is missing, or it is a folder), or null. */
export function outputFileProblem(flag: string, file: string): string | null {
  const resolved = path.resolve(file);
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) return `${flag} ${file} is a folder, not a file`;
  const dir = path.dirname(resolved);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    return `${flag} ${file}: the directory ${dir} does not exist`;
  return null;
}
