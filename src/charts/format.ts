/** Text helpers shared by the SVG charts. */

const COUNT_FORMAT = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const COMPACT_FORMAT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** 1234567 -> "1,234,567". */
export const formatCount = (value: number): string => COUNT_FORMAT.format(value);

/** 1234567 -> "1.2M", for axis ticks. */
export const formatCompact = (value: number): string => COMPACT_FORMAT.format(value);

/** Cuts a label to at most `chars` characters, ending in an ellipsis when cut. */
export function truncateLabel(label: string, chars: number): string {
  const codePoints = Array.from(label);
  return codePoints.length <= chars ? label : `${codePoints.slice(0, Math.max(1, chars - 1)).join("")}…`;
}
