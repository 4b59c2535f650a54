// The embedded page (generated header from src/serve/assets/page.html).
#include "rrg/serve/page_asset.h"
#include "rrg/serve/server.h"

namespace rrg::serve {

const char* page_html() {
  return kPageHtml;
}

}  // namespace rrg::serve
