/** The end-to-end demo's pure parts: scenario, roster, seeded cycle plan, report, tables and charts. */
export * from "./scenario";
export * from "./roster";
export * from "./cyclePlan";
export * from "./facts";
export * from "./report";
export * from "./format";
export * from "./charts";
