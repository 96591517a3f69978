/** A SQL string literal (single quotes doubled); for file paths and names that cannot be bound as parameters. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
