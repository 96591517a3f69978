import fs from "node:fs/promises";
import path from "node:path";

/**
 * Writes a file so that readers see either the old or the complete new content, never a partial
 * one: the data goes to a temporary file in the same directory, which is then renamed over the
 * target (rename is atomic within a file system). Creates the directory when missing.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
