// Text as people see it: whole characters, never half of one. A string's indexes count UTF-16
// units, so "🎬 Heat".charAt(0) is a lone surrogate (drawn as �); these count what is shown.

const graphemes = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

// The characters of `text` as shown: an emoji with its modifiers, a letter with its accents, one each.
export function characters(text) {
  if (graphemes) return Array.from(graphemes.segment(text), (part) => part.segment);
  return Array.from(text); // whole code points, at least
}

// The first character shown, upper-cased (a poster placeholder's letter), or `fallback`.
export function initial(text, fallback = "?") {
  const first = characters((text || "").trim())[0];
  return first ? first.toUpperCase() : fallback;
}
