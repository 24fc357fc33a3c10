/**
 * Rendering mail through the cached templates against compiling the MJML afresh for every mail, in one run.
 */
import { createRenderer, sampleMails } from "@tenantauth/mail";
import { type Benchmark, type BenchReport, measure, ms, ratio } from "./harness.js";

const options = { appUrl: "https://app.example.com", productName: "Acme" };

export const mailRenderBenchmark: Benchmark = {
  name: "mail-render",
  async run({ smoke }): Promise<BenchReport> {
    const mails = sampleMails();
    const cached = createRenderer(options);
    for (const mail of mails) await cached.render(mail); // compile once, as a running server would have
    let i = 0;
    const next = () => mails[i++ % mails.length]!;
    const [warm, fresh] = await measure(
      {
        "cached templates (compiled once)": () => cached.render(next()),
        "fresh MJML compile per mail": () => createRenderer(options).render(next()),
      },
      { iterations: smoke ? 10 : 300 },
    );
    if (!warm || !fresh) throw new Error("missing timings");
    return {
      title: "Mail rendering: cached templates against a fresh MJML compile per mail",
      columns: ["renderer", "median ms", "MAD ms", "mails/s"],
      rows: [warm, fresh].map((t) => [t.name, ms(t.medianMs), ms(t.madMs), Math.round(1000 / t.medianMs)]),
      notes: [`cached is ${ratio(fresh.medianMs / warm.medianMs)}× faster per mail`],
    };
  },
};
