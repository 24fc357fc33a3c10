/** The devDependency alias `express4` (npm:express@4) ships no types: it is typed as Express 5's `express`. */
declare module "express4" {
  import express from "express";
  export default express;
}
