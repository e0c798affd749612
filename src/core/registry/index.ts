export * from "./types";
export * from "./transitions";
export * from "./validation";
