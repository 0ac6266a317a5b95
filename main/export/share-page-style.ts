// The shared page's stylesheet (inline, allowed by its hash): light and dark by the system's setting,
// one column on a phone, the form in a grid from about 600 px.
export const SHARE_PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fbfaf7;--fg:#1f1d1a;--muted:#6b665e;--line:#dcd7ce;--field:#fff;--accent:#2f5d8a;--accent-fg:#fff;--prime:#2f5d8a;--out:#f3f0ea}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e3dd;--muted:#9a958c;--line:#34383e;--field:#1d2024;--accent:#7fb0e0;--accent-fg:#10161d;--prime:#8fc1f0;--out:#1b1e22}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 2rem}
h1{font-size:1.6rem;line-height:1.2;margin:0 0 .4rem;overflow-wrap:anywhere}
.facts{margin:0;color:var(--muted);font-size:.9rem}
.facts b{color:var(--fg);font-weight:600}
form{display:grid;grid-template-columns:1fr 1fr;gap:.75rem 1rem;margin:1.5rem 0 .5rem;padding:1rem;border:1px solid var(--line);border-radius:.6rem}
@media (min-width:600px){form{grid-template-columns:repeat(4,1fr)}}
label{display:flex;flex-direction:column;gap:.25rem;font-size:.85rem;color:var(--muted);min-width:0}
.wide,.actions{grid-column:1/-1}
input,textarea{font:inherit;font-size:1rem;color:var(--fg);background:var(--field);border:1px solid var(--line);border-radius:.4rem;padding:.45rem .55rem;width:100%;min-width:0}
textarea{resize:vertical;font-family:ui-monospace,"SF Mono",Menlo,Consolas,monospace}
input:focus,textarea:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.seed{display:flex;gap:.35rem;align-items:flex-end;min-width:0}
.seed label{flex:1}
button{font:inherit;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);padding:.5rem 1.2rem;cursor:pointer;font-weight:600}
button:disabled{opacity:.55;cursor:progress}
.seed button,button.quiet{background:transparent;color:var(--accent);padding:.4rem .7rem}
.actions{display:flex;gap:.6rem;flex-wrap:wrap}
#status{min-height:1.5em;margin:.25rem 0;color:var(--muted);font-size:.9rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;padding:1rem;background:var(--out);border:1px solid var(--line);border-radius:.6rem;font:15px/1.55 ui-monospace,"SF Mono",Menlo,Consolas,monospace}
.prime{color:var(--prime);font-weight:600}
footer{margin-top:1.5rem;color:var(--muted);font-size:.8rem}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
`.trim();
