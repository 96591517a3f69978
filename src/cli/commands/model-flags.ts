/** Flag parsing shared by the model commands (train, recommend, similar). */
import { UserError } from "../../util/errors.js";
import { MODEL_NAMES, type ModelName } from "../../models/recommender.js";

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

export function modelName(value: string, flag = "--model"): ModelName {
  if (!(MODEL_NAMES as readonly string[]).includes(value)) {
    throw new UserError(`${flag}: unknown model "${value}" (one of ${MODEL_NAMES.join(", ")})`);
  }
  return value as ModelName;
}

export function parseModelList(value: string): ModelName[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean).map((name) => modelName(name, "--models"));
  if (names.length === 0) throw new UserError("--models needs at least one model");
  return names;
}
