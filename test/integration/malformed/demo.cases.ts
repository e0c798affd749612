import { commonMistakes, refuse, type MalformedCase } from "./cases";

/** Each is refused before anything is deployed or sent: a demo that starts would run the whole trading day. */
export const DEMO_CASES: MalformedCase[] = [
  ...commonMistakes("demo", ["--out", "out"], { chain: false }),
  refuse("demo", (f) => ["--scenario", f.at("missing.json")], /demo: scenario file .*missing\.json does not exist/),
  refuse("demo", (f) => ["--scenario", f.at("folder")], /demo: scenario file .*folder is a folder, not a file/),
  refuse("demo", (f) => ["--scenario", f.at("broken.json")], /demo: .*broken\.json is not valid JSON/),
  refuse("demo", (f) => ["--scenario", f.at("empty.json")], /demo: .*empty\.json is not valid JSON/),
  refuse("demo", (f) => ["--scenario", f.at("null.json")], /demo: invalid scenario .*null\.json/),
  refuse("demo", (f) => ["--scenario", f.at("number.json")], /demo: invalid scenario .*number\.json/),
  refuse(
    "demo",
    (f) => ["--scenario", f.at("scenario-extra-field.json")],
    /demo: invalid scenario .*scenario-extra-field\.json/,
  ),
  refuse(
    "demo",
    (f) => ["--scenario", f.at("demo-missing-hour.json")],
    /demo: scenario file .*missing-hour\.json does not exist/,
  ),
  refuse(
    "demo",
    (f) => ["--scenario", f.at("demo-extra-field.json")],
    /demo: invalid scenario .*demo-extra-field\.json: .*cyclez/,
  ),
  refuse(
    "demo",
    (f) => ["--scenario", f.at("demo-cycles-text.json")],
    /demo: invalid scenario .*demo-cycles-text\.json: reputation\.cycles/,
  ),
  refuse("demo", (f) => ["--out", f.at("plain.txt")], /--out .*plain\.txt is a file, not a folder/),
  refuse("demo", ["--from", "1"], /Unrecognized param --from/),
];
