// Times arrive in UTC (kept on hover); show them in the viewer's own time zone.
for (const t of document.querySelectorAll("time[datetime]")) {
  const at = new Date(t.getAttribute("datetime"));
  if (!isNaN(at)) t.textContent = at.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
