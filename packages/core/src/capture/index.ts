export { SettledCapture, type SettledCase, type SettledCaptureOptions } from './settled-capture.js';
