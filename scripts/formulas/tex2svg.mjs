// tex2svg.mjs — writes assets/formulas/*.svg from the TeX in FORMULAS below.
//
//   node tex2svg.mjs OUTDIR        (scripts/make-formulas runs it)
//
// Why MathJax and not LaTeX + dvisvgm: it is one npm package (the npm
// registry is reachable from every machine of this project, a TeX Live of
// ~500 MB is not needed), it runs in the Node.js the machine already has,
// and with fontCache 'none' its output is self-contained: every glyph is a
// <path>, no fonts and no <use> of shared defs, so librsvg draws it as is.
//
// The SVGs keep MathJax's fill="currentColor": the renderer (src/draw/
// formulas.c) replaces it with the theme's text colour when it loads them.
// width and height are rewritten from ex (which depend on a font size the
// renderer does not know) to px at 16 px per em, so librsvg gives every
// file a definite intrinsic size; only the aspect ratio matters in the end.

import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {mathjax} from 'mathjax-full/js/mathjax.js';
import {TeX} from 'mathjax-full/js/input/tex.js';
import {SVG} from 'mathjax-full/js/output/svg.js';
import {liteAdaptor} from 'mathjax-full/js/adaptors/liteAdaptor.js';
import {RegisterHTMLHandler} from 'mathjax-full/js/handlers/html.js';
import {AllPackages} from 'mathjax-full/js/input/tex/AllPackages.js';

const EM_PX = 16; // px per em in the written width/height

// name -> TeX (display style). One row per file; the renderer names them.
const FORMULAS = {
    // The two formulas the lecture is about. NW is written in attention's
    // letters (query q, keys k_i, values v_i) so the two read side by side.
    nadaraya_watson: String.raw`\hat{y}(q) = \frac{\sum_i K(q, k_i)\, v_i}{\sum_j K(q, k_j)}`,
    attention: String.raw`\mathrm{Attn}(q, K, V) = \mathrm{softmax}\!\left(\frac{q K^{\top}}{\sqrt{d}}\right) V`,

    // The kernel under NW, one per sk_kernel_kind (see src/core/core.h).
    kernel_gaussian: String.raw`K(q, k) = \exp\!\left(-\frac{\lVert q - k \rVert^2}{2\sigma^2}\right)`,
    kernel_dot: String.raw`K(q, k) = \exp\!\left(\frac{q \cdot k}{\sqrt{d}\, T}\right)`,
    kernel_cosine: String.raw`K(q, k) = \exp\!\left(\frac{\cos(q, k)}{T}\right)`,
    kernel_laplacian: String.raw`K(q, k) = \exp\!\left(-\frac{\lVert q - k \rVert}{\sigma}\right)`,
    kernel_epanechnikov: String.raw`K(q, k) = \max\!\left(0,\ 1 - \frac{\lVert q - k \rVert^2}{\sigma^2}\right)`,
    kernel_boxcar: String.raw`K(q, k) = \mathbb{1}\!\left[\lVert q - k \rVert \le \sigma\right]`,
    kernel_knn: String.raw`K(q, k_i) = \mathbb{1}\!\left[k_i \in \mathrm{kNN}_k(q)\right]`,
    kernel_topk: String.raw`K(q, k_i) = K_{\mathrm{base}}(q, k_i)\, \mathbb{1}\!\left[i \in \mathrm{top}_k\right]`,
    // dot with bias: half_norm (the committed file was made by scripts/make-formula-tex;
    // either tool's output works, the renderer tells them apart by their units).
    kernel_dot_bias: String.raw`K(q, k) = \exp\!\left(\frac{q \cdot k - \lVert k \rVert^2/2}{T}\right)`,

    // The mapping table's math cells (the words beside them are Pango text).
    map_x: String.raw`x`,
    map_xi: String.raw`x_i`,
    map_yi: String.raw`y_i`,
    map_kernel: String.raw`K(x, x_i)`,
    map_sum: String.raw`\textstyle\sum K(\ldots)`,
    map_yhat: String.raw`\hat{y}`,
    map_q: String.raw`Q`,
    map_k: String.raw`K`,
    map_v: String.raw`V`,
    map_qk: String.raw`Q K^{\top}`,
    map_softmax: String.raw`\mathrm{softmax}`,
};

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({packages: AllPackages});
const svg = new SVG({fontCache: 'none'});
const doc = mathjax.document('', {InputJax: tex, OutputJax: svg});

// MathJax's <svg> in ex; ours in px, without the attributes that only a
// browser reads (vertical-align, role, focusable) and the data-* ones.
function standalone(node) {
    const root = adaptor.firstChild(node); // <mjx-container> -> <svg>
    const [, , vw, vh] = adaptor.getAttribute(root, 'viewBox').split(/\s+/).map(Number);
    let text = adaptor.outerHTML(root);
    text = text.replace(/<svg[^>]*>/, (open) => {
        const viewBox = open.match(/viewBox="([^"]*)"/)[1];
        const w = ((vw / 1000) * EM_PX).toFixed(3), h = ((vh / 1000) * EM_PX).toFixed(3);
        return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}px" height="${h}px" viewBox="${viewBox}">`;
    });
    text = text.replace(/ data-[a-z-]+="[^"]*"/g, '');
    return `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`;
}

const out = process.argv[2];
if (!out) {
    console.error('usage: node tex2svg.mjs OUTDIR');
    process.exit(2);
}
mkdirSync(out, {recursive: true});
for (const [name, source] of Object.entries(FORMULAS)) {
    const node = doc.convert(source, {display: true});
    writeFileSync(join(out, `${name}.svg`), standalone(node));
}
console.log(`wrote ${Object.keys(FORMULAS).length} SVGs to ${out}`);
