// The few statistics the bench reports: medians (robust to the odd slow run), minima, rounding.

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const min = (xs: number[]) => Math.min(...xs);
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export const stat = (xs: number[]) => ({ medianMs: round(median(xs)), minMs: round(min(xs)) });
