/* The speedtest: ping and jitter, download and upload, measured from this browser against the portal. */
(function () {
  "use strict";
  var box = document.getElementById("speedtest");
  var start = document.getElementById("speedtest-start");
  if (!box || !start) { return; }
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
  function show(key, value) { box.parentNode.querySelector("[data-speed=" + key + "]").textContent = value; }
  function mbps(bytes, ms) { return (bytes * 8 / (ms / 1000) / 1e6).toFixed(1); }

  async function ping() {
    var times = [];
    for (var i = 0; i < 10; i++) {
      var t0 = performance.now();
      await fetch(box.dataset.ping + "?n=" + i, { cache: "no-store", credentials: "same-origin" });
      times.push(performance.now() - t0);
    }
    times.shift(); // the first opens the connection
    var mean = times.reduce(function (a, b) { return a + b; }, 0) / times.length;
    var jitter = 0;
    for (var j = 1; j < times.length; j++) { jitter += Math.abs(times[j] - times[j - 1]); }
    show("ping", mean.toFixed(1));
    show("jitter", (jitter / (times.length - 1)).toFixed(1));
  }

  async function download() {
    var bytes = 10000000;
    var t0 = performance.now();
    var response = await fetch(box.dataset.download + "?bytes=" + bytes, { cache: "no-store", credentials: "same-origin" });
    var body = await response.arrayBuffer();
    show("download", mbps(body.byteLength, performance.now() - t0));
  }

  async function upload() {
    var data = new Uint8Array(5000000);
    for (var offset = 0; offset < data.length; offset += 65536) {
      crypto.getRandomValues(data.subarray(offset, Math.min(offset + 65536, data.length)));
    }
    var t0 = performance.now();
    await fetch(box.dataset.upload, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": token }
    });
    show("upload", mbps(data.length, performance.now() - t0));
  }

  start.hidden = false;
  start.addEventListener("click", async function () {
    start.disabled = true;
    ["download", "upload", "ping", "jitter"].forEach(function (key) { show(key, "…"); });
    try { await ping(); await download(); await upload(); }
    catch (error) { show("download", "—"); }
    start.disabled = false;
  });
})();
