import path from "node:path";
import { UserError } from "../../src/cli/errors";
import { readJsonArg } from "../../src/cli/files";
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
  const json = readJsonArg({ task: "demo", what: "scenario file" }, file);
  try {
    return parser(json);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UserError(`demo: invalid scenario ${file}: ${error.message}`);
    throw error;
  }
}
