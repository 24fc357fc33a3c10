import type { OutgoingMail } from "@tenantauth/core";
import type { MailOptions } from "./options.js";
import { createRenderer, type MailRenderer, type RenderedMail } from "./render.js";

const MAX_RENDERERS = 16;
const renderers = new Map<string, MailRenderer>();
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

/** Equal options give equal keys; functions (links, overrides) count by identity. */
function keyOf(options: MailOptions): string {
  return JSON.stringify(options, (_key, value: unknown) => {
    if (typeof value !== "function") return value;
    let id = functionIds.get(value);
    if (id === undefined) {
      id = nextFunctionId++;
      functionIds.set(value, id);
    }
    return `function#${id}`;
  });
}

/**
 * Renders one mail to `{ subject, html, text, link }`, for previews and for mailers of your own. Renderers are
 * kept per distinct options (the last 16), so the MJML of a template is compiled once however often this is
 * called; a long-lived mailer should hold a {@link createRenderer} instead.
 *
 * @example const { subject, html, text } = await renderMail(mail, { appUrl: "https://app.example.com" });
 * @throws TypeError when the options are invalid.
 */
export function renderMail(mail: OutgoingMail, options: MailOptions): Promise<RenderedMail> {
  const key = keyOf(options);
  let renderer = renderers.get(key);
  if (renderer) {
    renderers.delete(key); // re-inserted below: the map's order is least recently used first
  } else {
    renderer = createRenderer(options);
    if (renderers.size >= MAX_RENDERERS) renderers.delete(renderers.keys().next().value as string);
  }
  renderers.set(key, renderer);
  return renderer.render(mail);
}
