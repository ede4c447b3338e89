// Placeholder entry until the viewer lands: shows the graph's counts from the API.
const app = document.getElementById('app');
fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ stats { nodes links } }' }) })
  .then((r) => r.json())
  .then((r: { data?: { stats: { nodes: number; links: number } } }) => {
    if (app && r.data) app.textContent = `${r.data.stats.nodes} entities, ${r.data.stats.links} links. GraphQL at /graphql.`;
  });
