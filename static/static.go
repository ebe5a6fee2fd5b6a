// Package static embeds Tryggspor's public assets: Digdir's Designsystemet CSS
// (vendored by scripts/update-designsystemet.sh, MIT licence beside it), the
// application's own stylesheet and the icon. Nothing here is secret or
// personal. The web layer serves each file under a fingerprinted name.
package static

import "embed"

// FS holds the assets, served under /static/.
//
//go:embed designsystemet/*.css designsystemet/LICENSE app.css app-case.css app-plan.css app-case.js app-history.js favicon.svg favicon.ico
var FS embed.FS
