import { execFileSync } from "node:child_process";
import path from "node:path";

/** Writes `dir/name`, a zip built with Python's zipfile (deflated), entries given as name -> text. */
export function makeZip(dir: string, name: string, entries: Record<string, string>): string {
  const file = path.join(dir, name);
  const script = "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(k,v)\nz.close()";
  execFileSync("python3", ["-c", script, file, JSON.stringify(entries)]);
  return file;
}
