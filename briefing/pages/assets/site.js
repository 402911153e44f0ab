// The listening pages' behaviour: the feed URL's copy button, and the episode player's chapters,
// synced transcript, `#t=` start times and "link to this moment". Plain DOM; no external code.
(function () {
  "use strict";

  // A line starting within this many ms of the playhead counts as current (MP3 seeks land a little early).
  var TOLERANCE_MS = 60;

  // "83", "83.5", "1:23", "01:02:03" → seconds; anything else → null.
  function parseClock(text) {
    if (!/^\d+(\.\d+)?$|^\d+:\d{1,2}(\.\d+)?$|^\d+:\d{1,2}:\d{1,2}(\.\d+)?$/.test(text)) {
      return null;
    }
    return text.split(":").reduce(function (total, part) {
      return total * 60 + parseFloat(part);
    }, 0);
  }

  function hashTime(hash) {
    var match = /(?:^#|&)t=([0-9:.]+)(?:&|$)/.exec(hash);
    return match ? parseClock(match[1]) : null;
  }

  // The last of `starts` (ascending) at or before `ms`, as an index; -1 when `ms` is before them all.
  function lastAtOrBefore(starts, ms) {
    var low = 0;
    var high = starts.length - 1;
    var found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (starts[mid] <= ms) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  function startsOf(elements) {
    return elements.map(function (el) { return Number(el.getAttribute("data-start-ms")); });
  }

  // 75.4 → "01:15"; an hour or more → "1:02:03". The form `#t=` reads and the pages print.
  function formatClock(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var rest = total % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return hours ? hours + ":" + two(minutes) + ":" + two(rest) : two(minutes) + ":" + two(rest);
  }

  // The older copy command, through a temporary text area: for pages that are not a secure context
  // (a LAN address under `briefing serve`), where the Clipboard API does not exist.
  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  // Resolves to whether `text` reached the clipboard.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text); }
      );
    }
    return Promise.resolve(legacyCopy(text));
  }

  function statusFor(button) {
    var status = document.getElementById(button.getAttribute("data-status"));
    return function (text) { if (status) status.textContent = text; };
  }

  function setUpFeedCopy() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      var say = statusFor(button);
      if (!field) return;
      button.addEventListener("click", function () {
        copyText(field.value).then(function (copied) {
          if (copied) {
            say("주소를 복사했습니다. 팟캐스트 앱에 붙여 넣으세요.");
          } else {
            field.focus();
            field.select();
            say("주소를 선택했습니다. 직접 복사해 붙여 넣으세요.");
          }
        });
      });
    });
  }

  function setUpPlayer(audio) {
    var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapter[data-start-ms]"));
    var lines = Array.prototype.slice.call(document.querySelectorAll(".line[data-start-ms]"));
    var chapterStarts = startsOf(chapters);
    var lineStarts = startsOf(lines);
    var currentChapter = null;
    var currentLine = null;
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    function mark(previous, next) {
      if (previous === next) return false;
      if (previous) previous.removeAttribute("aria-current");
      if (next) next.setAttribute("aria-current", "true");
      return true;
    }

    function isInView(element) {
      var box = element.getBoundingClientRect();
      var bar = document.querySelector(".player-bar");
      var top = bar && getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().bottom : 0;
      return box.top >= top && box.bottom <= window.innerHeight;
    }

    function keepInView(element) {
      if (!isInView(element)) {
        element.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
      }
    }

    function update() {
      var ms = audio.currentTime * 1000 + TOLERANCE_MS;
      var chapter = chapters[lastAtOrBefore(chapterStarts, ms)] || null;
      var line = lines[lastAtOrBefore(lineStarts, ms)] || null;
      mark(currentChapter, chapter);
      currentChapter = chapter;
      if (mark(currentLine, line) && line && !audio.paused) keepInView(line);
      currentLine = line;
    }

    function seekTo(seconds, play) {
      function apply() {
        audio.currentTime = Math.min(seconds, audio.duration || seconds);
        update();
        if (play) {
          // Autoplay may be refused without a user gesture; the seek still holds.
          var playing = audio.play();
          if (playing && playing.catch) playing.catch(function () {});
        }
      }
      if (audio.readyState >= 1) apply();
      else audio.addEventListener("loadedmetadata", apply, { once: true });
    }

    function seekToHash(play) {
      var seconds = hashTime(location.hash);
      if (seconds !== null) seekTo(seconds, play);
    }

    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var target = event.target.closest("a[data-start-ms], .line[data-start-ms]");
      if (!target) return;
      // Reading a line and selecting some of its text is not a request to jump there.
      if (target.tagName !== "A" && String(window.getSelection())) return;
      event.preventDefault();
      var ms = Number(target.getAttribute("data-start-ms"));
      var link = target.tagName === "A" ? target : target.querySelector("a[href^='#t=']");
      if (link) history.replaceState(null, "", link.getAttribute("href"));
      seekTo(ms / 1000, true);
    });

    ["timeupdate", "seeked", "play", "loadedmetadata"].forEach(function (name) {
      audio.addEventListener(name, update);
    });
    document.querySelectorAll("[data-copy-moment]").forEach(function (button) {
      var say = statusFor(button);
      button.addEventListener("click", function () {
        var clock = formatClock(audio.currentTime);
        var link = location.href.split("#")[0] + "#t=" + clock;
        copyText(link).then(function (copied) {
          say(copied ? clock + " 위치의 링크를 복사했습니다." : "이 주소를 복사하세요: " + link);
        });
      });
    });
    window.addEventListener("hashchange", function () { seekToHash(true); });
    seekToHash(true);
    update();
  }

  setUpFeedCopy();
  var audio = document.getElementById("player");
  if (audio) setUpPlayer(audio);
})();
