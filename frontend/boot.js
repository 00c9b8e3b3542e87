// Loads the respondents' build on /svar/ paths, the full one (and its stylesheet) elsewhere.
const admin = !location.pathname.startsWith("/svar/");
if (admin) document.head.insertAdjacentHTML("beforeend", '<link rel="stylesheet" href="/admin.css">');
import(admin ? "/admin-pkg/frontend.js" : "/pkg/frontend.js").then((m) => m.default());
