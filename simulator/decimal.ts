/** Binance sends prices and quantities as decimal strings with 8 decimals ("25.35190000"). */
export const DECIMALS = 8;
/** Units per whole: the simulator keeps every price and quantity as an integer of 1e-8 units. */
export const UNIT = 100_000_000;

/**
 * Formats an integer number of 1e-8 units as Binance does: "25.35190000". Exact for values
 * below 2^53 units (90 million whole units), far above any simulated price.
 */
export function formatUnits(units: number): string {
  const whole = Math.floor(units / UNIT);
  const fraction = units - whole * UNIT;
  // 1e8 + fraction has 9 digits; dropping the leading 1 zero-pads the fraction to 8.
  return `${whole}.${String(UNIT + fraction).slice(1)}`;
}

/** Parses a decimal string into 1e-8 units (inverse of formatUnits, for tests and tools). */
export function parseUnits(text: string): number {
  const dot = text.indexOf('.');
  if (dot === -1) return Number(text) * UNIT;
  const fraction = text.slice(dot + 1, dot + 1 + DECIMALS).padEnd(DECIMALS, '0');
  return Number(text.slice(0, dot)) * UNIT + Number(fraction);
}
