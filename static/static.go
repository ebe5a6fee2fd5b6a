// Package static embeds Tryggspor's public assets: Digdir's Designsystemet CSS
// (vendored by scripts/update-designsystemet.sh, MIT licence beside it) and the
// application's own stylesheet. Nothing here is secret or personal.
package static

import "embed"

// FS holds the assets, served under /static/.
//
//go:embed designsystemet/*.css designsystemet/LICENSE app.css app-case.css app-case.js
var FS embed.FS
