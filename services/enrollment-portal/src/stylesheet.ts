/** The portal's one stylesheet (served at /style.css): mobile first, readable at 360 px, high contrast. */
export const STYLESHEET = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#f3f4f6}
body{margin:0}
header{background:#fff;border-bottom:1px solid #d0d4da;padding:.75rem 1rem;display:flex;align-items:center;gap:.75rem}
header img{max-height:2.5rem;max-width:8rem}
header p{margin:0;font-weight:600;font-size:1.05rem}
main{max-width:36rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #d0d4da;border-radius:.5rem;padding:1.25rem;margin-bottom:1rem}
h1{font-size:1.4rem;line-height:1.25;margin:0 0 .75rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
p{margin:0 0 .75rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=password],input[type=text]{width:100%;font:inherit;font-size:1.1rem;padding:.6rem .7rem;border:2px solid #5c6370;border-radius:.35rem;background:#fff;color:#1b1b1b}
input:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button,.button{display:inline-block;width:100%;margin-top:1rem;font:inherit;font-weight:600;font-size:1.05rem;padding:.75rem 1rem;border:0;border-radius:.35rem;background:#0b57d0;color:#fff;text-align:center;text-decoration:none;cursor:pointer}
button.secondary{background:#fff;color:#0b57d0;border:2px solid #0b57d0}
.error{border-left:.35rem solid #b3261e;background:#fdecea;padding:.75rem;margin:0 0 1rem}
.success{border-left:.35rem solid #146c2e;background:#e6f4ea;padding:.75rem;margin:0 0 1rem}
.hint{color:#3f4650;font-size:.95rem}
.qr{display:block;width:100%;max-width:16rem;height:auto;margin:.5rem auto;background:#fff}
.secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.1rem;letter-spacing:.05em;word-spacing:.4em;overflow-wrap:anywhere;background:#f3f4f6;padding:.5rem;border-radius:.25rem}
dl{margin:0 0 .75rem}dt{font-weight:600}dd{margin:0 0 .5rem;overflow-wrap:anywhere}
form.inline{margin-top:1rem}
footer{max-width:36rem;margin:0 auto;padding:0 1rem 2rem;color:#3f4650;font-size:.9rem}
@media (min-width:40rem){button,.button{width:auto;min-width:12rem}}
`;
