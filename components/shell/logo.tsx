/** Slipway's mark: a hull on a ramp, drawn inline so no image request is needed. */
export function Logo({ className = "size-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={className}>
      <rect width="32" height="32" rx="7" fill="#ec7211" />
      <path d="M6 22 L26 14" stroke="#232f3e" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M9 17.5 h11 l-2.5 3.2 h-7.2 z" fill="#fff" transform="rotate(-21.8 15 19)" />
    </svg>
  );
}
