import { createApp } from 'vue'
import SimulatorApp from './SimulatorApp.vue'

createApp(SimulatorApp).mount('#simulator')
