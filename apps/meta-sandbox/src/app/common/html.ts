// Minimal HTML building for the sandbox's pages; every interpolated value goes through `escapeHtml`.

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON safe to put inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function htmlPage(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f0f2f5;margin:0;color:#1c1e21}
main{max-width:720px;margin:32px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px #0003}
h1{font-size:20px} .muted{color:#5f6368;font-size:13px} .banner{background:#0b5cc7;color:#fff;padding:8px 16px;font-size:13px}
fieldset{border:1px solid #dddfe2;border-radius:6px;margin:12px 0} label{display:block;margin:4px 0}
button,.button{background:#0b5cc7;color:#fff;border:0;border-radius:6px;padding:8px 16px;font-size:15px;cursor:pointer;text-decoration:none;display:inline-block;margin:2px 0}
button.secondary{background:#e4e6eb;color:#1c1e21} .error{background:#ffebe9;border:1px solid #f5c2c0;padding:12px;border-radius:6px}
:focus-visible{outline:3px solid #0b5cc7;outline-offset:2px} select,input{font-size:15px;padding:4px;max-width:100%;box-sizing:border-box}
form select,form input{width:100%;margin-bottom:8px} .result:not(:empty){background:#e7f3e8;border:1px solid #a6d3aa;padding:12px;border-radius:6px}
.scroll{overflow-x:auto} pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f0f2f5;padding:8px;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px} td,th{border-bottom:1px solid #dddfe2;padding:4px;text-align:left}
code{background:#f0f2f5;padding:1px 4px;border-radius:4px;word-break:break-all}
</style></head>
<body><header class="banner">Meta sandbox - a local stand-in for Facebook Login and the Graph API</header>
<main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}
