import {login} from '/ui/app.js';

document.getElementById('login').addEventListener('submit', async event => {
  event.preventDefault();
  const key = document.getElementById('apiKey').value.trim();
  const response = await fetch('/api/v1/runs?size=1', {headers: {'Authorization': 'Bearer ' + key}});
  if (!response.ok) {
    document.getElementById('error').textContent = response.status === 401
      ? 'This key is unknown, revoked or expired.' : 'This key cannot read runs (' + response.status + ').';
    return;
  }
  login(key);
  const next = new URLSearchParams(location.search).get('next');
  location.assign(next && next.startsWith('/ui/') ? next : '/ui/');
});
