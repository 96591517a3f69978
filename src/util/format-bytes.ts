const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;

/** "512 B", "200 KB", "2.4 MB", "30 MB", "1.6 GB": one decimal below 10 units. */
export function formatBytes(bytes: number): string {
  const scaled = (value: number, unit: string) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
  if (bytes >= GB) return scaled(bytes / GB, "GB");
  if (bytes >= MB) return scaled(bytes / MB, "MB");
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${Math.round(bytes)} B`;
}
