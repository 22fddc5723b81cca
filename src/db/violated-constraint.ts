/** The constraint a failed statement violated (drizzle wraps pg's error in `cause`), if any. */
export function violatedConstraint(error: unknown): string | undefined {
  const value = error as { cause?: { constraint?: string }; constraint?: string } | null;
  return value?.cause?.constraint ?? value?.constraint;
}
