import fs from "node:fs";
import path from "node:path";
import { UserError } from "../../src/cli/errors";
import { ScenarioError, parseScenario } from "../../src/core/auction";
import { parseDemoScenario, type DemoScenario, type HourScenario } from "../../src/core/demo";

export interface LoadedDemo {
  readonly file: string;
  readonly demo: DemoScenario;
  readonly hours: readonly HourScenario[];
}

/** The demo file and the auction scenario files it names (relative to it); every problem names its file. */
export function loadDemo(file: string): LoadedDemo {
  const demo = parse(file, parseDemoScenario);
  const hours = demo.auction.map((h) => ({
    hour: h.hour,
    scenario: parse(path.resolve(path.dirname(file), h.scenario), parseScenario),
  }));
  return { file, demo, hours };
}

function parse<T>(file: string, parser: (value: unknown) => T): T {
  if (!fs.existsSync(file)) throw new UserError(`demo: scenario file ${file} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`demo: ${file} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parser(json);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UserError(`demo: invalid scenario ${file}: ${error.message}`);
    throw error;
  }
}
