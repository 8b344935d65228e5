/*
 * Small progressive enhancements on top of htmx. Every page works without this file.
 *
 * After an htmx swap:
 * - the change is announced in the aria-live region #pa-live, using the text of an element with
 *   [data-live-message] in the new content (or a generic message);
 * - focus moves on purpose: to the new content when the user submitted a form (they asked for
 *   the result), or when the element that had focus was replaced (focus would otherwise fall
 *   back to <body>). A change of a select keeps focus where it is, so that a keyboard user can
 *   go on choosing.
 * No inline scripts, no eval: the Content-Security-Policy allows only script-src 'self'.
 */
(function () {
  "use strict";

  var LIVE_REGION_ID = "pa-live";
  var clearTimer = null;

  function announce(text) {
    var region = document.getElementById(LIVE_REGION_ID);
    if (!region || !text) {
      return;
    }
    // Empty first, then fill on the next tick, so that the same text is announced again.
    region.textContent = "";
    window.clearTimeout(clearTimer);
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
    // Clear after a while so that the text is not found again when reading the page.
    clearTimer = window.setTimeout(function () {
      region.textContent = "";
    }, 8000);
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  // The text to announce: the [data-live-message] element's attribute value or text. Without
  // one, a generic message, but only when the user caused the request (not for polling).
  function liveMessage(container, userTriggered) {
    var source = container.matches("[data-live-message]")
      ? container
      : container.querySelector("[data-live-message]");
    if (source) {
      return normalise(source.getAttribute("data-live-message") || source.textContent);
    }
    if (!userTriggered) {
      return "";
    }
    return document.documentElement.getAttribute("lang") === "en" ? "Content updated" : "Inhoud bijgewerkt";
  }

  function focusTarget(container) {
    if (!container) {
      return null;
    }
    // An element inside that asks for focus comes first (the first field of an editor, the
    // conflict warning), then the new content that carries the announcement.
    var explicit = container.matches("[data-focus-after-swap]")
      ? container
      : container.querySelector("[data-focus-after-swap]");
    if (!explicit) {
      explicit = container.matches("[data-live-message]")
        ? container
        : container.querySelector("[data-live-message]");
    }
    var target = explicit || container;
    if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea")) {
      target.setAttribute("tabindex", "-1");
    }
    return target;
  }

  // The new content. htmx fires afterSettle on each new top-level element (with outerHTML the
  // old target is gone); fall back to the target's id.
  function swappedElement(event) {
    if (event.target instanceof Element && event.target.isConnected) {
      return event.target;
    }
    var target = event.detail && event.detail.target;
    if (target && target.isConnected) {
      return target;
    }
    if (target && target.id) {
      return document.getElementById(target.id);
    }
    return null;
  }

  // What we need to know about each request, from before it is sent until its content settles.
  var requests = new WeakMap();
  var lastPolledMessage = "";

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var config = detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    if (!detail.xhr) {
      return;
    }
    requests.set(detail.xhr, {
      // Polling ("every 1s") and "load" requests have no triggering event: they never move
      // focus and only announce a message that changed.
      userTriggered: !!trigger,
      submitted: !!(trigger && trigger.type === "submit"),
      focused: document.activeElement,
    });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // Fields swapped out of band (.pa-field-slot, see below) and hidden bookkeeping such as
    // the bid form's bases ([data-settle-quiet]) settle first; the request's own content is
    // what is announced and focused.
    if (
      event.target instanceof Element &&
      (event.target.classList.contains("pa-field-slot") || event.target.hasAttribute("data-settle-quiet"))
    ) {
      return;
    }
    // Once per request, even when the response has several top-level elements.
    var xhr = event.detail && event.detail.xhr;
    var state = xhr && requests.get(xhr);
    if (!state) {
      return;
    }
    requests.delete(xhr);
    var container = swappedElement(event);
    if (!container) {
      return;
    }
    var message = liveMessage(container, state.userTriggered);
    if (state.userTriggered || message !== lastPolledMessage) {
      announce(message);
    }
    if (!state.userTriggered) {
      lastPolledMessage = message;
      return;
    }

    var focusLost = !state.focused || !state.focused.isConnected || document.activeElement === document.body;
    if (state.submitted || focusLost) {
      var target = focusTarget(container);
      if (target) {
        target.focus({ preventScroll: false });
        // The swap can move content after focus has scrolled (scroll anchoring keeps the old
        // position when the new content is taller): make sure the focused element is shown.
        window.requestAnimationFrame(function () {
          if (document.activeElement === target) {
            target.scrollIntoView({ block: "nearest" });
          }
        });
      }
    }
  });

  // htmx keeps a snapshot of the page for the Back button. A snapshot holds attributes, not
  // what the user chose, so write the current choices into the attributes first: after Back
  // the filters then show the choice that belongs to the table.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("select").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.toggleAttribute("selected", option.selected);
      });
    });
    document.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        input.toggleAttribute("checked", input.checked);
      } else if (input.type !== "password" && input.type !== "file" && input.type !== "hidden") {
        input.setAttribute("value", input.value);
      }
    });
  });

  // The language switch returns to the page it was on: keep its "next" in step with the URL
  // that htmx pushed (e.g. the chosen filters).
  document.addEventListener("htmx:pushedIntoHistory", function () {
    document.querySelectorAll(".pa-language input[name='next']").forEach(function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  });

  // A failed request: say so, instead of silently leaving the old content.
  function announceError() {
    var english = document.documentElement.getAttribute("lang") === "en";
    announce(english ? "Something went wrong. Please try again." : "Er ging iets mis. Probeer het opnieuw.");
  }
  document.addEventListener("htmx:responseError", announceError);
  document.addEventListener("htmx:sendError", announceError);

  // 422 means "not accepted; here is the form with its errors": swap it like a success (htmx
  // leaves every 4xx unswapped by default, so the user would go on seeing the old content,
  // such as "Concept opgeslagen", while nothing was saved).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A status element (such as the bid form's save status) never claims more than happened:
  // while its request is under way it shows its data-pending-message, and when the request
  // fails (no answer, or an error the server did not explain) its data-failed-message.
  function setStatus(target, attribute) {
    var text = target && target.getAttribute && target.getAttribute(attribute);
    if (!text || !target.isConnected) {
      return;
    }
    var paragraph = document.createElement("p");
    paragraph.className = "utrecht-paragraph pa-muted";
    paragraph.textContent = text;
    target.replaceChildren(paragraph);
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    setStatus(event.detail && event.detail.target, "data-pending-message");
  });
  function showFailure(event) {
    var target = event.detail && event.detail.target;
    if (target && target.hasAttribute && target.hasAttribute("data-failed-message")) {
      setStatus(target, "data-failed-message");
    }
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);

  // Fields swapped out of band beside a status (the bid form sends each field back with its
  // error state) must not overwrite what the user typed meanwhile: a field that has focus,
  // or whose value changed since the request left, stays as it is; its next change saves it
  // and brings its own state back.
  function fieldValues(root) {
    return Array.prototype.map.call(root.querySelectorAll("input, select, textarea"), function (el) {
      return el.type === "checkbox" || el.type === "radio" ? String(el.checked) : el.value;
    }).join("\u0000");
  }
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var detail = event.detail || {};
    var target = detail.target;
    if (!target || !target.classList || !target.classList.contains("pa-field-slot") || !detail.fragment) {
      return;
    }
    var incoming = detail.fragment.firstElementChild || detail.fragment;
    if (target.contains(document.activeElement) || fieldValues(target) !== fieldValues(incoming)) {
      detail.shouldSwap = false;
    }
  });
  // A page that comes back with errors (a form sent without htmx) puts its error summary
  // first in line: focus moves there, so that the user hears what to fix, then follows its
  // links to the fields.
  function focusOnLoad() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusOnLoad);
  } else {
    focusOnLoad();
  }
})();
