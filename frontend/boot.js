// Loads the respondents' build on /svar/ paths, the full one elsewhere.
import(location.pathname.startsWith("/svar/") ? "/pkg/frontend.js" : "/admin-pkg/frontend.js").then((m) => m.default());
