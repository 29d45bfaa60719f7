// pantau: the upload page sends each chosen or dropped file on its own
// request, with a progress bar, then opens its preview; the preview page
// follows the server's check and reloads when it is done. Without script
// the form posts the files and the preview page offers a reload link.
(function () {
  "use strict";

  function item(list, name) {
    var li = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    li.appendChild(label);
    li.appendChild(bar);
    list.appendChild(li);
    return { li: li, bar: bar };
  }

  function fail(row, text) {
    row.li.classList.add("error");
    row.li.setAttribute("role", "alert");
    row.bar.remove();
    var msg = document.createElement("span");
    msg.textContent = " " + text;
    row.li.appendChild(msg);
  }

  function format(template) {
    var args = Array.prototype.slice.call(arguments, 1);
    return template.replace(/%[sd]/g, function () { return args.shift(); });
  }

  // send posts one file and resolves with its preview's address, or null.
  function send(form, file, row) {
    return new Promise(function (resolve) {
      var max = Number(form.dataset.maxBytes);
      if (file.size > max) {
        fail(row, format(form.dataset.tooLarge, file.name, Math.ceil(file.size / 1048576) + " MiB", form.dataset.max));
        return resolve(null);
      }
      var data = new FormData();
      data.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", form.elements._csrf.value);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) row.bar.value = Math.round(e.loaded * 100 / e.total);
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: say the status */ }
        if (xhr.status === 202 && body.uploads) {
          row.bar.value = 100;
          return resolve(body.uploads[0].url);
        }
        fail(row, format(form.dataset.failed, file.name, (body.error && body.error.message) || xhr.status));
        resolve(null);
      };
      xhr.onerror = function () {
        fail(row, format(form.dataset.failed, file.name, form.dataset.network));
        resolve(null);
      };
      xhr.send(data);
    });
  }

  function sendAll(form, files) {
    var list = document.getElementById("sending");
    list.textContent = "";
    var urls = [], failed = 0, chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      var row = item(list, file.name);
      chain = chain.then(function () { return send(form, file, row); }).then(function (url) {
        if (!url) { failed++; return; }
        urls.push(url);
        var link = document.createElement("a"); // the files that went through, to their previews
        link.href = url;
        link.textContent = row.li.firstChild.textContent;
        row.li.replaceChild(link, row.li.firstChild);
      });
    });
    chain.then(function () {
      if (failed) return; // the refusals stay in view, beside links to the rest
      window.location.assign(urls.length === 1 ? urls[0] : "/uploads");
    });
  }

  function enhanceUploadForm(form) {
    var input = document.getElementById("upload-file");
    var zone = document.getElementById("dropzone");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.files.length) sendAll(form, input.files);
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer.files.length) sendAll(form, e.dataTransfer.files);
    });
  }

  // follow polls the check's status and reloads the page once it is done.
  function follow(box) {
    var bar = box.querySelector("progress"), text = document.getElementById("upload-progress-text");
    function poll() {
      fetch(box.dataset.status, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          // Logged out meanwhile (or any other answer): the page itself says what.
          if (!r.ok || !/json/.test(r.headers.get("Content-Type") || "")) throw "reload";
          return r.json();
        })
        .then(function (s) {
          if (!s.busy) { window.location.reload(); return; }
          bar.value = s.percent;
          text.textContent = s.text;
          setTimeout(poll, 500);
        })
        .catch(function (e) {
          if (e === "reload") window.location.reload(); else setTimeout(poll, 2000);
        });
    }
    setTimeout(poll, 300);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-form");
    if (form) enhanceUploadForm(form);
    var box = document.getElementById("upload-progress");
    if (box) follow(box);
  });
})();
