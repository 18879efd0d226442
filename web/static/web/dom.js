// The pages' DOM helpers, the one module that finds and makes elements for all of them.

const SVG = "http://www.w3.org/2000/svg";

export const $ = (elementId) => document.getElementById(elementId);

// An HTML element. `attributes` is either a class name ("" or none for no class) or an object of
// attributes set as given ({ class: "bars", "aria-hidden": "true" }); `text` its text, if any.
export function el(name, attributes, text) {
  const node = document.createElement(name);
  if (typeof attributes === "string") {
    if (attributes) node.className = attributes;
  } else {
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// An SVG element, its attributes an object as for el.
export function svg(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}
