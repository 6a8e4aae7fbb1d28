/* Article page: bring the first highlighted quote into view. */
(function () {
  "use strict";
  var mark = document.getElementById("hl");
  if (mark) { mark.scrollIntoView({block: "center"}); }
})();
