import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import router from './router'
import { setSessionHooks } from './api/session'
import { useAuthStore } from './stores/auth'
import { useProjectStore } from './stores/project'
import './styles/main.css'
import './styles/print.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)

const auth = useAuthStore(pinia)
setSessionHooks({
  accessToken: () => auth.accessToken,
  refresh: () => auth.refresh(),
  lost: () => {
    auth.clear()
    useProjectStore(pinia).reset()
    const current = router.currentRoute.value
    if (current.meta.public) return
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  },
})

app.use(router)
app.mount('#app')
