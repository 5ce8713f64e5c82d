import { onMount } from 'svelte'

/**
 * Server-rendered forms show before their script runs. Until the component
 * is hydrated a click would submit the form natively, bypassing the page's
 * handler (a GET would even put the password in the address bar): the submit
 * button stays disabled until then. Call during component initialisation.
 */
export function hydration() {
  const state = $state({ done: false })
  onMount(() => {
    state.done = true
  })
  return state
}
