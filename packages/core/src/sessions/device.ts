/**
 * A short, human summary of a User-Agent header for the sessions page, such as "Chrome on Windows",
 * "Safari on iOS" or "curl". Recognises common browsers, operating systems and HTTP tools by their tokens; anything
 * else keeps the first product token ("MyApp/2.1" → "MyApp"), and no header at all is "Unknown device".
 * A summary is a hint: the header is whatever the client chose to send.
 */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").trim();
  if (ua === "") return "Unknown device";
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const os = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  const product = /^[A-Za-z][\w.-]{0,39}/.exec(ua)?.[0];
  if (os) return `${product && product !== "Mozilla" ? product : "Browser"} on ${os}`;
  return product ?? "Unknown device";
}

// Order matters: many browsers also say "Chrome" and "Safari", so the specific ones come first.
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdgA?\/|\bEdg(?:iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/^curl\//, "curl"],
  [/^Wget\//i, "Wget"],
  [/^PostmanRuntime\//, "Postman"],
  [/^python-requests\//, "Python requests"],
  [/^node-fetch|^undici|^node\b/i, "Node.js"],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b|\biPad\b|\biPod\b|\bCPU (?:iPhone )?OS \d/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];
