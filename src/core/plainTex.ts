// Abstracts from arXiv (and OpenAlex, which copies them) carry the authors' TeX: "$\unicode{x2014}$"
// for a dash, "\emph{…}", inline math. Chat shows plain text, so the markup becomes what it means.

/** Math commands that have one character of their own. */
const SYMBOLS: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  varepsilon: "ε",
  eta: "η",
  theta: "θ",
  lambda: "λ",
  mu: "μ",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  tau: "τ",
  phi: "φ",
  chi: "χ",
  psi: "ψ",
  omega: "ω",
  ell: "ℓ",
  Gamma: "Γ",
  Delta: "Δ",
  Theta: "Θ",
  Lambda: "Λ",
  Sigma: "Σ",
  Phi: "Φ",
  Omega: "Ω",
  times: "×",
  cdot: "·",
  pm: "±",
  approx: "≈",
  sim: "~",
  leq: "≤",
  le: "≤",
  geq: "≥",
  ge: "≥",
  neq: "≠",
  ne: "≠",
  infty: "∞",
  to: "→",
  rightarrow: "→",
  leftarrow: "←",
  sqrt: "√",
  sum: "∑",
  in: "∈",
  partial: "∂",
  nabla: "∇",
  ldots: "…",
  dots: "…",
  cdots: "⋯",
  log: "log",
  exp: "exp",
  min: "min",
  max: "max",
};
/** Text-mode escapes of characters TeX reserves. */
const ESCAPED = /\\([%&#_${}])/g;
/** Commands whose argument is the text itself: \emph{x} → x. */
const WRAPPERS =
  /\\(?:emph|textit|textbf|texttt|textrm|textsf|text|mathrm|mathit|mathbf|mathcal|mathsf|mathtt|operatorname|underline)\s*\{([^{}]*)\}/g;
const BLACKBOARD: Record<string, string> = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ", E: "𝔼", P: "ℙ" };

const codePoint = (hex: string | undefined, dec: string | undefined) => {
  const n = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "";
};

/** One formula's content, readable: "\mathcal{O}(n^{2})" → "O(n^2)". */
function mathText(math: string): string {
  return commands(math)
    .replace(/([_^])\{([^{}]*)\}/g, (_, op: string, arg: string) => (arg.length === 1 ? `${op}${arg}` : `${op}(${arg})`))
    .replace(/\\[,;:! ]/g, " ")
    .replace(/[{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Commands that mean the same in text and in math. */
function commands(text: string): string {
  let out = text.replace(/\\unicode\s*\{\s*(?:x([0-9a-f]{1,6})|(\d{1,7}))\s*\}/gi, (_, hex?: string, dec?: string) => codePoint(hex, dec));
  out = out.replace(/\\mathbb\s*\{\s*([A-Z])\s*\}/g, (m, l: string) => BLACKBOARD[l] ?? l);
  for (let depth = 0; depth < 3; depth++) {
    // nested: \emph{\textbf{x}} needs two passes
    const next = out.replace(WRAPPERS, "$1");
    if (next === out) break;
    out = next;
  }
  return out.replace(/\\([A-Za-z]+)(?![A-Za-z])/g, (m, name: string) => (Object.hasOwn(SYMBOLS, name) ? SYMBOLS[name]! : m));
}

/**
 * TeX escapes in plain text made readable: `$\unicode{x2014}$` → "—", `\emph{word}` → "word",
 * `$O(n^{2})$` → "O(n^2)" (dollars dropped, the formula kept), `---` → "—", ``` ``quotes'' ``` → “quotes”.
 * Text without TeX comes back unchanged; a lone "$5" is money, not math.
 */
export function plainTex(text: string): string {
  if (!/[\\$`]|---/.test(text)) return text;
  return commands(
    text
      // Inline math: $…$ on one line, not "$5 and $10" (a formula does not start or end with a space).
      .replace(/\$(?!\s)([^$\n]{1,200}?)(?<!\s)\$/g, (_, math: string) => mathText(math))
      .replace(/---/g, "—")
      .replace(/``/g, "“")
      .replace(/''/g, "”"),
  )
    .replace(ESCAPED, "$1")
    .replace(/ {2,}/g, " ");
}
